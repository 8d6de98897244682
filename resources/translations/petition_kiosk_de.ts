<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AttractPage</name>
    <message>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <source>Read the letter and sign</source>
        <translation>Brief lesen und unterschreiben</translation>
    </message>
    <message>
        <source>Read the letter, then add your name. It takes about a minute.</source>
        <translation>Lesen Sie den Brief und setzen Sie dann Ihren Namen darunter. Das dauert etwa eine Minute.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s)</source>
        <translation>
            <numerusform>%Ln Unterschrift</numerusform>
            <numerusform>%Ln Unterschriften</numerusform>
        </translation>
    </message>
    <message>
        <source>Help us reach %1.</source>
        <translation>Helfen Sie uns, %1 zu erreichen.</translation>
    </message>
</context>
<context>
    <name>Form</name>
    <message>
        <source>First name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>Postleitzahl</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>(freiwillig)</translation>
    </message>
    <message>
        <source>If you have only one name, write it in either name field.</source>
        <translation>Wenn Sie nur einen Namen haben, tragen Sie ihn in eines der beiden Namensfelder ein.</translation>
    </message>
</context>
<context>
    <name>IdleCountdown</name>
    <message>
        <source>Still there?</source>
        <translation>Sind Sie noch da?</translation>
    </message>
    <message>
        <source>Yes, I am still here</source>
        <translation>Ja, ich bin noch da</translation>
    </message>
    <message numerus="yes">
        <source>To protect your privacy, this screen will be cleared in %Ln second(s).</source>
        <translation>
            <numerusform>Zum Schutz Ihrer Privatsphäre wird diese Anzeige in %Ln Sekunde geleert.</numerusform>
            <numerusform>Zum Schutz Ihrer Privatsphäre wird diese Anzeige in %Ln Sekunden geleert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LetterPage</name>
    <message>
        <source>Petition letter</source>
        <translation>Petitionsschreiben</translation>
    </message>
    <message>
        <source>Other petitions</source>
        <translation>Andere Petitionen</translation>
    </message>
    <message>
        <source>Sign the letter</source>
        <translation>Brief unterschreiben</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln Unterschrift auf diesem Gerät</numerusform>
            <numerusform>%Ln Unterschriften auf diesem Gerät</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Petition Kiosk</source>
        <translation>Petitions-Kiosk</translation>
    </message>
    <message>
        <source>Your signature could not be saved on this device. Nothing you typed is lost: please tell a volunteer, then try again.</source>
        <translation>Ihre Unterschrift konnte auf diesem Gerät nicht gespeichert werden. Ihre Eingaben bleiben erhalten: Bitte sagen Sie einer Helferin oder einem Helfer Bescheid und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Diese PIN ist nicht richtig.</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %Ln second(s).</source>
        <translation>
            <numerusform>Zu viele falsche PINs. Versuchen Sie es in %Ln Sekunde noch einmal.</numerusform>
            <numerusform>Zu viele falsche PINs. Versuchen Sie es in %Ln Sekunden noch einmal.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PickerPage</name>
    <message>
        <source>Choose a petition to sign</source>
        <translation>Wählen Sie eine Petition aus</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln Unterschrift auf diesem Gerät</numerusform>
            <numerusform>%Ln Unterschriften auf diesem Gerät</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Coordinator PIN</source>
        <translation>Koordinations-PIN</translation>
    </message>
    <message>
        <source>Choose a coordinator PIN (%1 to %2 digits)</source>
        <translation>Wählen Sie eine Koordinations-PIN (%1 bis %2 Ziffern)</translation>
    </message>
    <message>
        <source>Type the new PIN again</source>
        <translation>Geben Sie die neue PIN noch einmal ein</translation>
    </message>
    <message>
        <source>A PIN has %1 to %2 digits.</source>
        <translation>Eine PIN hat %1 bis %2 Ziffern.</translation>
    </message>
    <message>
        <source>The two PINs were not the same. Please start again.</source>
        <translation>Die beiden PINs stimmen nicht überein. Bitte fangen Sie noch einmal an.</translation>
    </message>
</context>
<context>
    <name>SignPage</name>
    <message>
        <source>Back to the letter</source>
        <translation>Zurück zum Brief</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <source>Sign the petition</source>
        <translation>Petition unterschreiben</translation>
    </message>
    <message>
        <source>It takes less than a minute.</source>
        <translation>Es dauert weniger als eine Minute.</translation>
    </message>
    <message>
        <source>Add your name: %1</source>
        <translation>Ihre Unterschrift: %1</translation>
    </message>
    <message>
        <source>In English:</source>
        <translation>Auf Englisch:</translation>
    </message>
    <message>
        <source>Your details stay on this device until they are sent to %1.</source>
        <translation>Ihre Angaben bleiben auf diesem Gerät, bis sie an %1 gesendet werden.</translation>
    </message>
    <message>
        <source>Choose a country</source>
        <translation>Land auswählen</translation>
    </message>
</context>
<context>
    <name>ThanksPage</name>
    <message>
        <source>Thank you for signing!</source>
        <translation>Danke für Ihre Unterschrift!</translation>
    </message>
    <message>
        <source>Your signature has been saved on this device.</source>
        <translation>Ihre Unterschrift ist auf diesem Gerät gespeichert.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln Unterschrift auf diesem Gerät</numerusform>
            <numerusform>%Ln Unterschriften auf diesem Gerät</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This screen closes in %Ln second(s).</source>
        <translation>
            <numerusform>Diese Anzeige schließt sich in %Ln Sekunde.</numerusform>
            <numerusform>Diese Anzeige schließt sich in %Ln Sekunden.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>Please fill this in.</source>
        <translation>Bitte füllen Sie dieses Feld aus.</translation>
    </message>
    <message>
        <source>This is too long. Please shorten it.</source>
        <translation>Das ist zu lang. Bitte kürzen Sie es.</translation>
    </message>
    <message>
        <source>This contains invisible or special characters. Please type it again.</source>
        <translation>Hier stehen unsichtbare oder besondere Zeichen. Bitte geben Sie es noch einmal ein.</translation>
    </message>
    <message>
        <source>This does not look like an email address.</source>
        <translation>Das sieht nicht nach einer E-Mail-Adresse aus.</translation>
    </message>
    <message>
        <source>This does not look like a phone number. Add the country code, for example +49.</source>
        <translation>Das sieht nicht nach einer Telefonnummer aus. Bitte mit Ländervorwahl, zum Beispiel +49.</translation>
    </message>
    <message>
        <source>Please check the postal code.</source>
        <translation>Bitte prüfen Sie die Postleitzahl.</translation>
    </message>
    <message>
        <source>Please choose a country from the list.</source>
        <translation>Bitte wählen Sie ein Land aus der Liste.</translation>
    </message>
    <message>
        <source>Please tick this box to sign. Without it your signature cannot be counted.</source>
        <translation>Bitte setzen Sie hier ein Häkchen, um zu unterschreiben. Ohne das Häkchen kann Ihre Unterschrift nicht gezählt werden.</translation>
    </message>
    <message>
        <source>This petition does not ask for this.</source>
        <translation>Diese Petition fragt nicht danach.</translation>
    </message>
    <message>
        <source>Please check this.</source>
        <translation>Bitte prüfen Sie das.</translation>
    </message>
</context>
</TS>